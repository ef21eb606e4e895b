"""Parameters: law and local choices as dated data (national YAML defaults + tenant overrides)."""
