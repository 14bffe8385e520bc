"""talking."""
