"""figures stage."""
