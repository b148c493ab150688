"""The timetable with its changes: whose day (audience), what it holds (views, build), how it reads
(render_day, render_week) and the buttons under it (keyboards). handlers/timetable.py wires it to Telegram.

Homework shown on a lesson is the homework *due* at that lesson (what the student must have done
for it), attached to the first lesson of its subject that day; marks are those given in the lesson
(by lesson id, else by date and subject).
"""
