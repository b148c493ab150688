"""aiogram Routers, one module per feature (handlers/<feature>.py: create_router()); bot/app.py lists them."""
