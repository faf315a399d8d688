enum _PlaceholderTapisEngine {}
