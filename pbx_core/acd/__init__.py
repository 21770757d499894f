"""ACD queues (P9): callers wait in a queue and are offered to its logged-in agents.

- :mod:`pbx_core.acd.model`: a queue's settings, its members and an agent's state (pure).
- :mod:`pbx_core.acd.distribution`: the queue machine: who waits, which agents ring, overflow
  (pure, one transition table, no clock of its own).
"""
