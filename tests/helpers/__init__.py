"""Shared test code: the one place test modules (and bench scripts) import test helpers from.

No test module imports another. ``paths`` names the folders; ``project`` builds throw-away
copies of the frozen fixture project; ``bodies`` writes issue bodies the way GitHub does;
``story`` drives the offline bot; ``github`` replays the GitHub backend from cassettes.
"""
