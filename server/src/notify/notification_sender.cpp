#include "notification_sender.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "mail_composer.h"
#include "text_util.h"

namespace kindband::server {
namespace {

// How often the outbox is looked at: a new mail leaves within about this long.
constexpr auto kPollInterval = std::chrono::milliseconds(500);
constexpr int kBatch = 50;
constexpr int64_t kFirstRetryMs = 5000;
// A mail that could not be delivered for this long is given up (status failed).
constexpr int64_t kGiveUpMs = 3LL * 24 * 3600 * 1000;
// Sent rows are kept this long (for the interval and kindband-admin outbox), then deleted.
constexpr int64_t kKeepSentMs = 8LL * 24 * 3600 * 1000;

std::string domain_of(const std::string& address) {
  const size_t at = address.find('@');
  return at == std::string::npos ? "kindband.invalid" : address.substr(at + 1);
}

}  // namespace

void NotificationSender::start() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = false;
  }
  // A mail that was on its way when the server stopped goes (again) now.
  outbox_->release_claims();
  thread_ = std::thread([this] { loop(); });
}

void NotificationSender::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

NotificationSender::Health NotificationSender::health() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return health_;
}

void NotificationSender::loop() {
  int64_t last_prune = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (stopping_) return;
    }
    const int64_t now = unix_now_millis();
    if (now - last_prune > 3600 * 1000) {
      outbox_->prune_sent(now - kKeepSentMs);
      last_prune = now;
    }
    std::vector<OutboxMail> mails;
    outbox_->due(now, kBatch, &mails);
    for (const OutboxMail& mail : mails) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) return;
      }
      if (!deliver(mail)) break;  // the mail server is unreachable: the others wait their turn
    }
    std::vector<InvitationMail> invitations;
    outbox_->due_invitations(now, kBatch, &invitations);
    for (const InvitationMail& invitation : invitations) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) return;
      }
      if (!deliver_invitation(invitation)) break;
    }
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, kPollInterval, [&] { return stopping_; });
  }
}

bool NotificationSender::deliver(OutboxMail mail) {
  MailRecipient recipient;
  if (!outbox_->recipient(mail, &recipient)) {
    outbox_->drop(mail.id);  // the address was removed or erased: nobody to tell
    return true;
  }
  const int64_t now = unix_now_millis();
  const int64_t interval_ms = static_cast<int64_t>(settings_.interval_seconds) * 1000;
  if (interval_ms > 0) {
    const int64_t last = outbox_->last_sent_at(mail.recipient_kind, mail.recipient_id);
    if (last > 0 && now < last + interval_ms) {
      outbox_->postpone(mail, last + interval_ms);
      return true;
    }
  }
  // From here on no news joins this mail; read it again (news may have joined since due()).
  if (!outbox_->claim(&mail)) return true;
  const MailText text =
      mail.recipient_kind == "parent"
          ? parent_mail_text(recipient.parent_link)
          : professional_mail_text(mail.kinds, recipient.organisation_name, settings_.public_url);
  const std::string message_id = "kindband-" + std::to_string(mail.id) + "-" +
                                 std::to_string(mail.created_at) + "@" +
                                 domain_of(settings_.smtp.from);
  const std::string message =
      compose_mail(settings_.smtp.from, recipient.email, text, message_id, unix_now());
  const SmtpResult result = send_mail(settings_.smtp, recipient.email, message);
  const int64_t after = unix_now_millis();
  if (result.sent) {
    outbox_->mark_sent(mail.id, after);
    std::lock_guard<std::mutex> lock(mutex_);
    health_.failing = false;
    health_.consecutive_failures = 0;
    health_.failing_since_ms = 0;
    health_.last_delivered_ms = after;
    return true;
  }
  if (result.permanent) {
    // The server answered and refused this one recipient: the server itself works.
    outbox_->mark_failed(mail.id, result.error);
    std::fprintf(stderr, "kindband-server: mail %lld refused for good: %s\n",
                 static_cast<long long>(mail.id), result.error.c_str());
    return true;
  }
  if (after - mail.created_at > kGiveUpMs) {
    outbox_->mark_failed(mail.id, "gave up after 3 days: " + result.error);
  } else {
    const int shift = static_cast<int>(std::min<int64_t>(mail.attempts, 20));
    const int64_t delay = std::min<int64_t>(
        kFirstRetryMs << shift, static_cast<int64_t>(settings_.retry_max_seconds) * 1000);
    outbox_->mark_retry(mail.id, after + delay, result.error);
  }
  note_failure(result.error, after);
  return false;
}

void NotificationSender::note_failure(const std::string& error, int64_t after) {
  bool first = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    first = !health_.failing;
    if (first) health_.failing_since_ms = after;
    health_.failing = true;
    ++health_.consecutive_failures;
  }
  if (first) {
    std::fprintf(stderr, "kindband-server: cannot deliver mail (will retry): %s\n", error.c_str());
  }
}

bool NotificationSender::deliver_invitation(const InvitationMail& mail) {
  // One mail per invitation, at once (no interval: it is not news that could be bundled).
  const std::string message_id = "kindband-invitation-" + std::to_string(mail.id) + "-" +
                                 std::to_string(mail.created_at) + "@" +
                                 domain_of(settings_.smtp.from);
  const std::string message =
      compose_mail(settings_.smtp.from, mail.email,
                   invitation_mail_text(mail.organisation_name, mail.link), message_id, unix_now());
  const SmtpResult result = send_mail(settings_.smtp, mail.email, message);
  const int64_t after = unix_now_millis();
  if (result.sent || result.permanent) {
    // Sent, or refused for good: either way the address and the link are not kept.
    outbox_->invitation_done(mail.id);
    if (result.sent) {
      std::lock_guard<std::mutex> lock(mutex_);
      health_.failing = false;
      health_.consecutive_failures = 0;
      health_.failing_since_ms = 0;
      health_.last_delivered_ms = after;
    } else {
      std::fprintf(stderr, "kindband-server: invitation mail %lld refused for good: %s\n",
                   static_cast<long long>(mail.id), result.error.c_str());
    }
    return true;
  }
  if (after - mail.created_at > kGiveUpMs) {
    outbox_->invitation_done(mail.id);
  } else {
    const int shift = static_cast<int>(std::min<int64_t>(mail.attempts, 20));
    outbox_->invitation_retry(
        mail.id,
        after + std::min<int64_t>(kFirstRetryMs << shift,
                                  static_cast<int64_t>(settings_.retry_max_seconds) * 1000),
        result.error);
  }
  note_failure(result.error, after);
  return false;
}

}  // namespace kindband::server
