"""ACD queues on the desktop (S6): the records of the API's answers."""
