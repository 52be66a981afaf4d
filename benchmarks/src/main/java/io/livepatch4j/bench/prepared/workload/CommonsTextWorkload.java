package io.livepatch4j.bench.prepared.workload;

import io.livepatch4j.bench.prepared.Workload;
import org.apache.commons.lang3.StringUtils;
import org.apache.commons.lang3.builder.HashCodeBuilder;
import org.apache.commons.lang3.builder.ToStringBuilder;
import org.apache.commons.lang3.builder.ToStringStyle;
import org.apache.commons.lang3.math.NumberUtils;
import org.apache.commons.text.CaseUtils;
import org.apache.commons.text.StringEscapeUtils;
import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.TextStringBuilder;
import org.apache.commons.text.WordUtils;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.apache.commons.text.similarity.LevenshteinDistance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * commons-lang3 and commons-text as a notification renderer uses them: each operation takes 8
 * messages, cleans them (StringUtils), fills a template (StringSubstitutor), escapes the result for
 * HTML and JSON (StringEscapeUtils), wraps and capitalizes it (WordUtils, CaseUtils), finds the
 * nearest known command to a typo (LevenshteinDistance, JaroWinklerSimilarity) and describes the
 * message with lang3's builders.
 */
public final class CommonsTextWorkload implements Workload {

    private static final int MESSAGES = 512;
    private static final int BATCH = 8;
    private static final String[] WORDS = {"order", "shipped", "delivery", "payment", "refund", "élan", "café",
        "warehouse", "tracking", "customer", "invoice", "<urgent>", "&", "\"quoted\"", "status", "window"};
    private static final String[] COMMANDS = {"status", "cancel", "refund", "track", "subscribe", "unsubscribe",
        "help", "address", "invoice", "contact"};
    private static final String TEMPLATE = "Dear ${name}, your ${kind} #${id} is now ${state}. ${body} "
        + "Reply ${command:-help} for options.";
    private static final LevenshteinDistance LEVENSHTEIN = new LevenshteinDistance(6);
    private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();

    private final List<Message> messages = new ArrayList<>(MESSAGES);

    public CommonsTextWorkload() {
        SplittableRandom r = new SplittableRandom(99);
        for (int i = 0; i < MESSAGES; i++) {
            StringBuilder body = new StringBuilder("  ");
            for (int w = 8 + r.nextInt(40); w > 0; w--) {
                body.append(WORDS[r.nextInt(WORDS.length)]).append(r.nextInt(5) == 0 ? "   " : " ");
            }
            String command = COMMANDS[r.nextInt(COMMANDS.length)];
            String typo = command.length() > 3 && r.nextBoolean()
                ? command.substring(0, 2) + command.charAt(3) + command.charAt(2) + command.substring(4) : command + "s";
            messages.add(new Message(i, "customer_" + i + " o'brien", r.nextBoolean() ? "order" : "return",
                Integer.toString(10_000 + r.nextInt(90_000)), body.toString(), typo));
        }
    }

    @Override
    public long op(long i) {
        long h = 17;
        for (int k = 0; k < BATCH; k++) {
            Message m = messages.get((int) ((i * BATCH + k) % MESSAGES));
            String body = StringUtils.normalizeSpace(m.body());
            body = StringUtils.replaceEach(body, new String[] {"café", "élan"}, new String[] {"cafe", "elan"});
            String[] words = StringUtils.split(body, ' ');
            String first = StringUtils.capitalize(StringUtils.abbreviate(body, 60));

            Map<String, String> values = new HashMap<>();
            values.put("name", WordUtils.capitalizeFully(StringUtils.replaceChars(m.customer(), '_', ' ')));
            values.put("kind", m.kind());
            values.put("id", StringUtils.leftPad(m.id(), 8, '0'));
            values.put("state", StringUtils.containsIgnoreCase(body, "SHIPPED") ? "shipped" : "pending");
            values.put("body", first);
            values.put("command", nearestCommand(m.typo()));
            String text = StringSubstitutor.replace(TEMPLATE, values);

            String html = StringEscapeUtils.escapeHtml4(text);
            String json = StringEscapeUtils.escapeJson(text);
            String wrapped = WordUtils.wrap(StringEscapeUtils.unescapeHtml4(html), 40, "\n", true);
            String key = CaseUtils.toCamelCase(m.kind() + " " + words[0] + " " + words[words.length - 1], false, ' ');

            TextStringBuilder out = new TextStringBuilder(256);
            out.append(key).append(':').appendPadding(2, ' ').append(StringUtils.countMatches(wrapped, '\n'))
                .appendSeparator(',').append(NumberUtils.toInt(m.id(), -1));
            String described = new ToStringBuilder(m, ToStringStyle.SHORT_PREFIX_STYLE)
                .append("id", m.number()).append("words", words.length).append("json", json.length()).toString();
            h = h * 31 + new HashCodeBuilder(17, 37).append(html).append(out.toString()).append(described)
                .append(wrapped.length()).toHashCode();
        }
        return h;
    }

    /** The known command closest to what the customer typed: edit distance, then Jaro-Winkler to break ties. */
    private static String nearestCommand(String typed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        double bestSimilarity = -1;
        for (String c : COMMANDS) {
            int d = LEVENSHTEIN.apply(typed, c);
            d = d < 0 ? Integer.MAX_VALUE - 1 : d;
            double s = JARO_WINKLER.apply(typed, c);
            if (d < bestDistance || (d == bestDistance && s > bestSimilarity)) {
                best = c;
                bestDistance = d;
                bestSimilarity = s;
            }
        }
        return best;
    }


    record Message(int number, String customer, String kind, String id, String body, String typo) {
    }
}
