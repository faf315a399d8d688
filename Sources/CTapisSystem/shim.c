int ctapis_placeholder(void) { return 0; }
