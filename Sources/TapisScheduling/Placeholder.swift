enum _PlaceholderTapisScheduling {}
