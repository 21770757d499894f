"""pbx_core/media."""
