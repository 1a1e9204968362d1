package io.leadflow.crm.sync;

import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.IntroEmail;
import io.leadflow.avro.LeadRouted;
import io.leadflow.crm.hubspot.HubSpotCrm;
import io.leadflow.platform.logging.Masking;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import tools.jackson.databind.json.JsonMapper;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Send mode of the introduction email (SMTP configured): the email goes out from the owner's address to the lead's,
 * then is logged on the HubSpot contact as a sent email engagement.
 * <p>
 * <b>Never twice.</b> A lead's email is sent only on its first sync (crm-sync did not know the lead: a replay, a later
 * decision version or a lead drafted before SMTP was configured sends nothing), and the send is recorded first: the
 * lead's {@code crm.synced} record carries {@code introEmailSentAt} and is acknowledged by Kafka before the SMTP
 * conversation starts. So a crash before that acknowledgement replays the batch and sends then, and a crash after it
 * sends nothing more: at most once, which is what an email to a prospect needs. The engagement is not the memory:
 * HubSpot has no upsert for emails and one could only be searched for after the fact. If the SMTP server refuses the
 * email, the owner gets the draft task instead, so it is sent by hand.
 */
final class IntroEmailSender {

    private static final Logger log = LoggerFactory.getLogger(IntroEmailSender.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JavaMailSender mail;
    private final HubSpotCrm crm;
    private final IntroEmailGate gate;
    private final Clock clock;

    /** @param mail the SMTP client, or null for draft mode (nothing is sent) */
    IntroEmailSender(JavaMailSender mail, HubSpotCrm crm, IntroEmailGate gate, Clock clock) {
        this.mail = mail;
        this.crm = crm;
        this.gate = gate;
        this.clock = clock;
    }

    boolean sending() {
        return mail != null;
    }

    /**
     * The leads whose email this batch sends, each marked {@code introEmailSentAt} on its {@code crm.synced} record;
     * publish those records before {@link #send}.
     */
    List<LeadRouted> claim(Collection<LeadRouted> leads, Map<String, CrmSynced> synced, Set<String> syncedBefore) {
        if (mail == null) {
            return List.of();
        }
        List<LeadRouted> claimed = new ArrayList<>();
        Instant now = clock.instant();
        for (LeadRouted lead : leads) {
            CrmSynced record = synced.get(lead.getLeadId());
            if (lead.getIntroEmail() == null || record == null || record.getIntroEmailSentAt() != null
                    || syncedBefore.contains(lead.getLeadId()) || !gate.allows(lead)) {
                continue;
            }
            record.setIntroEmailSentAt(now);
            claimed.add(lead);
        }
        return claimed;
    }

    /** Sends each claimed lead's email and logs it on its contact; a refused one becomes the owner's draft task. */
    void send(List<LeadRouted> claimed, Map<String, CrmSynced> synced) {
        for (LeadRouted lead : claimed) {
            IntroEmail email = lead.getIntroEmail();
            CrmSynced record = synced.get(lead.getLeadId());
            try {
                mail.send(message(email));
            } catch (MailException | MessagingException | UnsupportedEncodingException e) {
                log.warn("Introduction email of lead {} to {} not sent ({}); the owner gets it as a draft task", lead.getLeadId(),
                        Masking.email(email.getTo()), e.getMessage());
                IntroDraft.task(lead).ifPresent(task -> crm.createTasks(List.of(
                        new HubSpotCrm.Engagement(task.key(), task.properties(), record.getContactId(), record.getDealId()))));
                continue;
            }
            log.info("Introduction email of lead {} sent to {} from {}", lead.getLeadId(), Masking.email(email.getTo()),
                    Masking.email(email.getFromEmail()));
            try {
                crm.logEmail(engagement(lead, record.getIntroEmailSentAt()), record.getContactId());
            } catch (RuntimeException e) {
                log.warn("Introduction email of lead {} was sent but could not be logged on HubSpot contact {}: {}", lead.getLeadId(),
                        record.getContactId(), e.getMessage());
            }
        }
    }

    /** A plain-text message from the owner to the one address the lead gave; the subject is encoded, never a raw header. */
    private MimeMessage message(IntroEmail email) throws MessagingException, UnsupportedEncodingException {
        MimeMessage message = mail.createMimeMessage();
        MimeMessageHelper helper = new MimeMessageHelper(message, false, StandardCharsets.UTF_8.name());
        helper.setFrom(new InternetAddress(email.getFromEmail(), email.getFromName(), StandardCharsets.UTF_8.name()));
        helper.setTo(new InternetAddress(email.getTo(), true));
        helper.setSubject(email.getSubject());
        helper.setText(email.getBody(), false);
        return message;
    }

    /** The engagement HubSpot's emails API takes for an email sent and logged to the CRM. */
    private static Map<String, Object> engagement(LeadRouted lead, Instant sentAt) {
        IntroEmail email = lead.getIntroEmail();
        Map<String, Object> headers = new LinkedHashMap<>();
        Map<String, Object> from = new LinkedHashMap<>();
        from.put("email", email.getFromEmail());
        from.put("firstName", email.getFromName());
        headers.put("from", from);
        headers.put("to", List.of(Map.of("email", email.getTo())));
        headers.put("cc", List.of());
        headers.put("bcc", List.of());
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("hs_timestamp", sentAt.toString());
        properties.put("hs_email_direction", "EMAIL");
        properties.put("hs_email_status", "SENT");
        properties.put("hs_email_subject", email.getSubject());
        properties.put("hs_email_text", email.getBody());
        properties.put("hs_email_headers", JSON.writeValueAsString(headers));
        if (lead.getOwner().getHubspotOwnerId() != null) {
            properties.put("hubspot_owner_id", lead.getOwner().getHubspotOwnerId());
        }
        return properties;
    }
}
