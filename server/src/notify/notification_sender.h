// Delivers the outbox in the background: a thread that takes the mails that are due, looks up
// each address, keeps to one mail per recipient per interval, hands the mail to the SMTP server
// and records the outcome. A mail server that is down is retried with back-off (5 s, 10 s, 20 s
// ... up to the configured maximum); a mail it refuses for good is marked failed. No request ever
// waits for it: requests only write outbox rows (notification_events.h).
//
// A mail is claimed before it goes to the mail server (news arriving meanwhile starts the next
// mail instead of changing this one). Delivery is at least once: a mail the SMTP server accepted is
// marked sent in the next commit; a crash between the two sends it again after the restart, with
// the same Message-ID (so mail clients show it once).
#ifndef KINDBAND_SERVER_NOTIFICATION_SENDER_H_
#define KINDBAND_SERVER_NOTIFICATION_SENDER_H_

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "outbox_store.h"
#include "smtp_client.h"

namespace kindband::server {

class NotificationSender {
 public:
  struct Settings {
    SmtpSettings smtp;
    std::string public_url;
    int interval_seconds = 600;
    int retry_max_seconds = 900;
  };
  NotificationSender(OutboxStore* outbox, Settings settings)
      : outbox_(outbox), settings_(std::move(settings)) {}
  ~NotificationSender() { stop(); }
  NotificationSender(const NotificationSender&) = delete;
  NotificationSender& operator=(const NotificationSender&) = delete;

  void start();
  void stop();

  // How delivery goes, for /healthz and /healthz/mail.
  struct Health {
    bool failing = false;          // the last try to reach the mail server failed
    int64_t failing_since_ms = 0;  // first failure of the current run of failures
    int64_t last_delivered_ms = 0;
    int64_t consecutive_failures = 0;
  };
  Health health() const;

 private:
  void loop();
  // Handles one due mail; false when the loop should pause (the mail server is unreachable).
  bool deliver(OutboxMail mail);
  // Handles one invitation by e-mail (issue 24), likewise.
  bool deliver_invitation(const InvitationMail& mail);
  // Records a failed try to reach the mail server (health, and one line in the log per run).
  void note_failure(const std::string& error, int64_t after);

  OutboxStore* outbox_;
  Settings settings_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  Health health_;
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_NOTIFICATION_SENDER_H_
