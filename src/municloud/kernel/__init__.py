"""Platform kernel: database, tenants, identity & permissions, audit, parameters.

The kernel imports nothing from ``municloud.modules``; modules register their
permissions, audit actions and parameters into the kernel's catalog at start-up.
"""
