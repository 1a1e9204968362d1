package io.leadflow.intake.calendar;

import com.google.re2j.Pattern;
import io.leadflow.intake.normalise.FreeText;
import io.leadflow.intake.normalise.LeadDraft;
import io.leadflow.intake.normalise.LinearRegex;
import io.leadflow.intake.normalise.Volumes;

import java.util.Locale;

/**
 * Answers to the booking form's questions (Calendly {@code questions_and_answers}, Cal.com
 * {@code responses}): a question that names a contact field fills it; a question about events or
 * users gives a volume; every answer is kept in the message and read for free-text signals.
 */
final class BookingAnswers {

    // Questions are set by whoever configured the booking form, but arrive in the same untrusted payload: RE2, linear time.
    private static final Pattern COMPANY = LinearRegex.compileIgnoreCase("compan|organi[sz]ation|business\\s+name|employer");
    private static final Pattern WEBSITE = LinearRegex.compileIgnoreCase("website|domain|\\burl\\b");
    private static final Pattern COUNTRY = LinearRegex.compileIgnoreCase("country|where\\s+are\\s+you\\s+(?:based|located)");
    private static final Pattern TITLE = LinearRegex.compileIgnoreCase("title|\\brole\\b|position|job");
    private static final Pattern EVENTS = LinearRegex.compileIgnoreCase("\\bevents?\\b");
    private static final Pattern USERS = LinearRegex.compileIgnoreCase("\\bmaus?\\b|active\\s+users|\\busers\\b");

    /** A question is a line or two; a longer one is matched on its beginning. */
    static final int MAX_QUESTION_CHARS = 1_000;

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
        String asked = FreeText.head(q, MAX_QUESTION_CHARS);
        if (COMPANY.matcher(asked).find()) {
            draft.company(a);
        } else if (WEBSITE.matcher(asked).find()) {
            draft.website(a);
        } else if (COUNTRY.matcher(asked).find()) {
            draft.country(a);
        } else if (TITLE.matcher(asked).find()) {
            draft.title(a);
        } else if (EVENTS.matcher(asked).find()) {
            Volumes.parse(a).ifPresent(v -> draft.monthlyEvents(v));
        } else if (USERS.matcher(asked).find()) {
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
