"""Test tooling: SIP user agents, SIPp runs and audio checks shared by the test suites."""
