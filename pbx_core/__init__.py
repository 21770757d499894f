"""pbx_core."""
