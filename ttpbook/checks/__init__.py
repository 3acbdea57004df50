"""Check functions for the book's coding exercises, one module per chapter (ch01.py ...).

Each check takes a student's answer, prints whether it is right and, if not, a hint about
where to look (never the answer itself), and returns True or False. Instructors who change an
exercise change its check here; tests/ hold a right and a wrong answer for each.
"""
