#ifndef CLIBSSH2_SHIM_H
#define CLIBSSH2_SHIM_H

#include <libssh2.h>
#include <libssh2_sftp.h>
#include <string.h>

// Most of libssh2's convenience API is function-like macros, which Swift cannot import. These
// inline functions are those macros, by the same names with a clibssh2_ prefix.

static inline LIBSSH2_SESSION *clibssh2_session_init(void) {
    return libssh2_session_init_ex(NULL, NULL, NULL, NULL);
}

static inline int clibssh2_session_disconnect(LIBSSH2_SESSION *session, const char *description) {
    return libssh2_session_disconnect_ex(session, SSH_DISCONNECT_BY_APPLICATION, description, "");
}

static inline int clibssh2_userauth_password(LIBSSH2_SESSION *session, const char *user, const char *password) {
    return libssh2_userauth_password_ex(session, user, (unsigned int)strlen(user), password, (unsigned int)strlen(password), NULL);
}

static inline int clibssh2_userauth_publickey_fromfile(LIBSSH2_SESSION *session, const char *user, const char *privateKey,
                                                       const char *passphrase) {
    return libssh2_userauth_publickey_fromfile_ex(session, user, (unsigned int)strlen(user), NULL, privateKey, passphrase);
}

static inline LIBSSH2_CHANNEL *clibssh2_channel_open_session(LIBSSH2_SESSION *session) {
    return libssh2_channel_open_ex(session, "session", sizeof("session") - 1, LIBSSH2_CHANNEL_WINDOW_DEFAULT,
                                   LIBSSH2_CHANNEL_PACKET_DEFAULT, NULL, 0);
}

static inline int clibssh2_channel_exec(LIBSSH2_CHANNEL *channel, const char *command) {
    return libssh2_channel_process_startup(channel, "exec", sizeof("exec") - 1, command, (unsigned int)strlen(command));
}

static inline ssize_t clibssh2_channel_read(LIBSSH2_CHANNEL *channel, int stream, char *buffer, size_t length) {
    return libssh2_channel_read_ex(channel, stream, buffer, length);
}

static inline ssize_t clibssh2_channel_write(LIBSSH2_CHANNEL *channel, const char *buffer, size_t length) {
    return libssh2_channel_write_ex(channel, 0, buffer, length);
}

static inline LIBSSH2_SFTP_HANDLE *clibssh2_sftp_open(LIBSSH2_SFTP *sftp, const char *path, unsigned long flags, long mode,
                                                      int type) {
    return libssh2_sftp_open_ex(sftp, path, (unsigned int)strlen(path), flags, mode, type);
}

static inline int clibssh2_sftp_readdir(LIBSSH2_SFTP_HANDLE *handle, char *buffer, size_t length,
                                        LIBSSH2_SFTP_ATTRIBUTES *attributes) {
    return libssh2_sftp_readdir_ex(handle, buffer, length, NULL, 0, attributes);
}

static inline int clibssh2_sftp_rename(LIBSSH2_SFTP *sftp, const char *source, const char *target) {
    return libssh2_sftp_rename_ex(sftp, source, (unsigned int)strlen(source), target, (unsigned int)strlen(target),
                                  LIBSSH2_SFTP_RENAME_OVERWRITE | LIBSSH2_SFTP_RENAME_ATOMIC | LIBSSH2_SFTP_RENAME_NATIVE);
}

static inline int clibssh2_sftp_unlink(LIBSSH2_SFTP *sftp, const char *path) {
    return libssh2_sftp_unlink_ex(sftp, path, (unsigned int)strlen(path));
}

static inline int clibssh2_sftp_mkdir(LIBSSH2_SFTP *sftp, const char *path, long mode) {
    return libssh2_sftp_mkdir_ex(sftp, path, (unsigned int)strlen(path), mode);
}

static inline int clibssh2_sftp_rmdir(LIBSSH2_SFTP *sftp, const char *path) {
    return libssh2_sftp_rmdir_ex(sftp, path, (unsigned int)strlen(path));
}

/// stat (follow = 1) or lstat (follow = 0).
static inline int clibssh2_sftp_stat(LIBSSH2_SFTP *sftp, const char *path, int follow, LIBSSH2_SFTP_ATTRIBUTES *attributes) {
    return libssh2_sftp_stat_ex(sftp, path, (unsigned int)strlen(path), follow ? LIBSSH2_SFTP_STAT : LIBSSH2_SFTP_LSTAT,
                                attributes);
}

static inline int clibssh2_sftp_chmod(LIBSSH2_SFTP *sftp, const char *path, unsigned long mode) {
    LIBSSH2_SFTP_ATTRIBUTES attributes;
    memset(&attributes, 0, sizeof(attributes));
    attributes.flags = LIBSSH2_SFTP_ATTR_PERMISSIONS;
    attributes.permissions = mode;
    return libssh2_sftp_stat_ex(sftp, path, (unsigned int)strlen(path), LIBSSH2_SFTP_SETSTAT, &attributes);
}

static inline int clibssh2_session_blocked_inbound(LIBSSH2_SESSION *session) {
    return (libssh2_session_block_directions(session) & LIBSSH2_SESSION_BLOCK_INBOUND) != 0;
}

static inline int clibssh2_session_blocked_outbound(LIBSSH2_SESSION *session) {
    return (libssh2_session_block_directions(session) & LIBSSH2_SESSION_BLOCK_OUTBOUND) != 0;
}

#endif
