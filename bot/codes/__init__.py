"""One-time link codes: the part that both features using them need. `invite` issues codes (bot/invite/),
`linking` redeems them (bot/linking/); this is a declared shared package, like bot.ui, so that neither
feature imports the other. It holds no rules of either, only what a code is:

- code: the shape (59 bits from `secrets`, no look-alike characters), normalisation of what people type,
  display in groups, the deep link
- secret: the HMAC key (CODE_SECRET, or generated into the data directory with 0600 permissions) and the
  keyed hashes the database stores instead of codes
- validity: through which day a code works
- holder: whom a code is for (an e-diary person with what identifies them) and how to describe them

It imports neither aiogram nor storage, so the `ediary-bot invite` command stays light.
"""
