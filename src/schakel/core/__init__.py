"""Plumbing that every app needs, at the bottom of the house: it imports no app of Schakel.

- `concurrency`: `StaleEdit`, the optimistic-concurrency conflict every versioned record raises.
"""
