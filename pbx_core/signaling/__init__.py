"""pbx_core/signaling."""
