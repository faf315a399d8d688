#include "CTapisPAM.h"

#include <security/pam_appl.h>
#include <stdlib.h>
#include <string.h>

/// Answers PAM's prompts: the password for a hidden prompt, nothing for the rest (an echoed prompt
/// would be a question tapisd cannot ask a client, such as a one-time code).
static int conversation(int count, const struct pam_message **messages, struct pam_response **responses, void *data) {
    if (count <= 0 || count > PAM_MAX_NUM_MSG) return PAM_CONV_ERR;
    struct pam_response *answers = calloc((size_t)count, sizeof(struct pam_response));
    if (answers == NULL) return PAM_BUF_ERR;
    for (int i = 0; i < count; i++) {
        if (messages[i]->msg_style == PAM_PROMPT_ECHO_OFF) {
            answers[i].resp = strdup((const char *)data);
            if (answers[i].resp == NULL) {
                for (int j = 0; j < i; j++) free(answers[j].resp);
                free(answers);
                return PAM_BUF_ERR;
            }
        } else if (messages[i]->msg_style == PAM_PROMPT_ECHO_ON) {
            for (int j = 0; j < i; j++) free(answers[j].resp);
            free(answers);
            return PAM_CONV_ERR;
        }
    }
    *responses = answers;
    return PAM_SUCCESS;
}

/// PAM's failure delay, replaced by one that does not sleep: tapisd pads every refusal itself,
/// asynchronously, so that a storm of wrong passwords cannot tie up its blocking threads.
static void no_delay(int status, unsigned int delay, void *data) {
    (void)status;
    (void)delay;
    (void)data;
}

static void copy_reason(pam_handle_t *handle, int status, char *reason, unsigned long size) {
    if (reason == NULL || size == 0) return;
    const char *text = pam_strerror(handle, status);
    strncpy(reason, text ? text : "unknown PAM error", size - 1);
    reason[size - 1] = '\0';
}

int ctapis_pam_check(const char *service, const char *user, const char *password, const char *remote_host,
                     char *reason, unsigned long reason_size) {
    struct pam_conv conv = {conversation, (void *)password};
    pam_handle_t *handle = NULL;
    int status = pam_start(service, user, &conv, &handle);
    if (status != PAM_SUCCESS) {
        copy_reason(handle, status, reason, reason_size);
        if (handle != NULL) pam_end(handle, status);
        return CTAPIS_PAM_ERROR;
    }
    pam_set_item(handle, PAM_FAIL_DELAY, (const void *)no_delay);
    if (remote_host != NULL) pam_set_item(handle, PAM_RHOST, remote_host);
    int result = CTAPIS_PAM_OK;
    status = pam_authenticate(handle, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
    if (status == PAM_SUCCESS) {
        status = pam_acct_mgmt(handle, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
        if (status != PAM_SUCCESS) result = CTAPIS_PAM_ACCOUNT_UNUSABLE;
    } else if (status == PAM_AUTH_ERR || status == PAM_USER_UNKNOWN || status == PAM_MAXTRIES || status == PAM_CRED_INSUFFICIENT) {
        result = CTAPIS_PAM_REFUSED;
    } else {
        result = CTAPIS_PAM_ERROR;
    }
    if (result != CTAPIS_PAM_OK) copy_reason(handle, status, reason, reason_size);
    pam_end(handle, status);
    return result;
}
