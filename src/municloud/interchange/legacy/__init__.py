"""Migration from a legacy system (旧システム): mapping file, readers, use case, review report."""
