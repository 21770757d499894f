"""headset."""
