"""Schakel: the chain against exploitation."""
