"""Plumbing that every app needs, at the bottom of the house: it imports no app of Schakel.

- `concurrency`: `StaleEdit`, the optimistic-concurrency conflict every versioned record raises.
- `validation`: `clean_text`, `clean_date`, `raise_if` for services that collect field errors.
- `dates`: `add_months` (calendar arithmetic of the rules).
- `errors`: `Refused`, a refusal with reasons and hints (the sharing gate's is one).
- `forms`: `submit` and `apply_errors`, the HTML side of validate, call, show the conflict.
- `net`: `client_ip`, the client's address through a known number of trusted proxies.
"""
