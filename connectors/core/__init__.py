"""Machinery every source shares: auth, the HTTP retry policy, pagination, cursors, validation."""
