enum _PlaceholderTapisClient {}
