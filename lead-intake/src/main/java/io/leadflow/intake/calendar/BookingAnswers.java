package io.leadflow.intake.calendar;

import io.leadflow.intake.normalise.LeadDraft;
import io.leadflow.intake.normalise.Volumes;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Answers to the booking form's questions (Calendly {@code questions_and_answers}, Cal.com
 * {@code responses}): a question that names a contact field fills it; a question about events or
 * users gives a volume; every answer is kept in the message and read for free-text signals.
 */
final class BookingAnswers {

    private static final int FLAGS = Pattern.CASE_INSENSITIVE;
    private static final Pattern COMPANY = Pattern.compile("compan|organi[sz]ation|business\\s+name|employer", FLAGS);
    private static final Pattern WEBSITE = Pattern.compile("website|domain|\\burl\\b", FLAGS);
    private static final Pattern COUNTRY = Pattern.compile("country|where\\s+are\\s+you\\s+(?:based|located)", FLAGS);
    private static final Pattern TITLE = Pattern.compile("title|\\brole\\b|position|job", FLAGS);
    private static final Pattern EVENTS = Pattern.compile("\\bevents?\\b", FLAGS);
    private static final Pattern USERS = Pattern.compile("\\bmaus?\\b|active\\s+users|\\busers\\b", FLAGS);

    private final LeadDraft draft;
    private final StringBuilder message = new StringBuilder();

    BookingAnswers(LeadDraft draft) {
        this.draft = draft;
    }

    void answer(String question, String answer) {
        if (answer == null || answer.isBlank()) {
            return;
        }
        String a = answer.trim();
        String q = question == null ? "" : question.trim();
        if (COMPANY.matcher(q).find()) {
            draft.company(a);
        } else if (WEBSITE.matcher(q).find()) {
            draft.website(a);
        } else if (COUNTRY.matcher(q).find()) {
            draft.country(a);
        } else if (TITLE.matcher(q).find()) {
            draft.title(a);
        } else if (EVENTS.matcher(q).find()) {
            Volumes.parse(a).ifPresent(v -> draft.monthlyEvents(v));
        } else if (USERS.matcher(q).find()) {
            Volumes.parse(a).ifPresent(v -> draft.monthlyActiveUsers(v));
        }
        if (!message.isEmpty()) {
            message.append('\n');
        }
        message.append(q.isEmpty() ? "" : q + ": ").append(a);
    }

    /** Free text that is not an answer to a question (e.g. "additional notes") goes into the message as is. */
    void note(String text) {
        if (text != null && !text.isBlank()) {
            if (!message.isEmpty()) {
                message.append('\n');
            }
            message.append(text.trim());
        }
    }

    /** Writes the collected message onto the draft. */
    void finish() {
        draft.message(message.isEmpty() ? null : message.toString());
    }

    static boolean isGroupEvent(String eventName) {
        return eventName != null && eventName.toLowerCase(Locale.ROOT).contains("group");
    }
}
