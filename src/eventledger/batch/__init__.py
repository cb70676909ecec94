"""Engines that run the pipeline over many inputs: `local` (this process).
Ray lives here too when installed, and only here."""
