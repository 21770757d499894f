"""Test SIP user agents that run as their own processes."""
