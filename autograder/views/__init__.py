"""What people read, rendered from the records as untrusted content: feedback pages, the report, exports."""
