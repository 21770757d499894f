"""pbx_core/store."""
