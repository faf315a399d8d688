int ctapis_placeholder(void);
