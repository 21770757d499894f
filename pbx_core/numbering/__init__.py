"""Number conversion (P7): what a dialled number becomes, and the short numbers of a number."""
