enum _PlaceholderLP {}
