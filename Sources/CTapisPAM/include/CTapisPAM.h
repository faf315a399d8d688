#ifndef CTAPIS_PAM_H
#define CTAPIS_PAM_H

/// What a password check found (each one a different line in the audit log; clients see one answer).
enum ctapis_pam_result {
    CTAPIS_PAM_OK = 0,
    /// Unknown user, wrong password or a locked account: PAM does not say which.
    CTAPIS_PAM_REFUSED = 1,
    /// The password was right but the account may not log in now (expired account or password).
    CTAPIS_PAM_ACCOUNT_UNUSABLE = 2,
    /// PAM itself failed (no such service file, a module error).
    CTAPIS_PAM_ERROR = 3,
};

/// Checks `password` for `user` through the PAM service `service` (pam_authenticate, then
/// pam_acct_mgmt), answering every password prompt with `password` and nothing else. `remote_host`
/// is passed to PAM as PAM_RHOST. PAM's failure delay is left to the caller (it would hold this
/// thread). Blocking: call it off the cooperative pool. On anything but CTAPIS_PAM_OK, PAM's own
/// reason is copied into `reason` (for the log only; never shown to a client).
int ctapis_pam_check(const char *service, const char *user, const char *password, const char *remote_host,
                     char *reason, unsigned long reason_size);

#endif
