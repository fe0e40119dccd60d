"""DynamoDB access: one module per table, each access pattern one GetItem or Query."""
