package io.livepatch4j.bench.prepared.workload;

import com.google.common.base.CaseFormat;
import com.google.common.base.CharMatcher;
import com.google.common.base.Joiner;
import com.google.common.base.Splitter;
import com.google.common.base.Strings;
import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import com.google.common.collect.ArrayListMultimap;
import com.google.common.collect.ComparisonChain;
import com.google.common.collect.FluentIterable;
import com.google.common.collect.HashMultiset;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.collect.ListMultimap;
import com.google.common.collect.Multiset;
import com.google.common.collect.Multisets;
import com.google.common.collect.Ordering;
import com.google.common.hash.Hasher;
import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import com.google.common.primitives.Ints;
import io.livepatch4j.bench.prepared.Workload;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Guava as an access-log summarizer uses it: each operation parses 64 log lines (Splitter,
 * CharMatcher, Ints), looks each user up in a LoadingCache that is too small for them all, groups
 * and counts (ArrayListMultimap, HashMultiset), sorts (ComparisonChain, Ordering), builds immutable
 * collections and a report (ImmutableSortedMap, Joiner, CaseFormat) and hashes it (murmur3).
 */
public final class GuavaWorkload implements Workload {

    private static final int LINES = 4096;
    private static final int BATCH = 64;
    private static final String[] METHODS = {"GET", "GET", "GET", "PUT", "POST", "DELETE"};
    private static final String[] SECTIONS = {"items", "orders", "users", "search", "static-assets", "health-check"};
    private static final String[] TAGS = {"mobile", "desktop", "eu-west", "us-east", "beta", "cached", "slow", "retry"};

    private static final Splitter FIELDS = Splitter.on(',').trimResults();
    private static final Splitter TAG_LIST = Splitter.on('|').omitEmptyStrings().trimResults();
    private static final Splitter PATH = Splitter.on('/').omitEmptyStrings();
    private static final CharMatcher DIGITS = CharMatcher.inRange('0', '9');
    private static final Joiner.MapJoiner REPORT = Joiner.on("; ").withKeyValueSeparator('=');
    private static final HashFunction MURMUR = Hashing.murmur3_128(17);

    private final List<String> lines = new ArrayList<>(LINES);
    private final LoadingCache<String, UserInfo> users = CacheBuilder.newBuilder()
        .maximumSize(600) // about half of the users: misses and evictions keep happening
        .build(CacheLoader.from(UserInfo::load));

    public GuavaWorkload() {
        SplittableRandom random = new SplittableRandom(2024);
        for (int i = 0; i < LINES; i++) {
            String section = SECTIONS[random.nextInt(SECTIONS.length)];
            StringBuilder tags = new StringBuilder();
            for (int t = random.nextInt(4); t >= 0; t--) {
                tags.append(TAGS[random.nextInt(TAGS.length)]).append(t > 0 ? "|" : "");
            }
            int status = random.nextInt(10) == 0 ? 500 + random.nextInt(4) : random.nextInt(6) == 0 ? 404 : 200;
            lines.add(" user-" + random.nextInt(1200) + " , " + METHODS[random.nextInt(METHODS.length)] + " ,/api/"
                + section + "/" + random.nextInt(10_000) + " , " + status + " ,  " + random.nextInt(90_000) + "B ,"
                + tags);
        }
    }

    @Override
    public long op(long i) {
        int from = (int) ((i * BATCH) % LINES);
        List<Access> batch = new ArrayList<>(BATCH);
        ListMultimap<String, Integer> bytesByUser = ArrayListMultimap.create();
        Multiset<String> tagCounts = HashMultiset.create();
        for (int k = 0; k < BATCH; k++) {
            List<String> f = FIELDS.splitToList(lines.get((from + k) % LINES));
            Integer status = Ints.tryParse(f.get(3));
            int bytes = Integer.parseInt(DIGITS.retainFrom(f.get(4)));
            List<String> path = PATH.splitToList(f.get(2));
            UserInfo user = users.getUnchecked(f.get(0));
            Access a = new Access(user, f.get(1), path.get(1), status == null ? 0 : status, bytes);
            batch.add(a);
            bytesByUser.put(user.region(), bytes);
            tagCounts.addAll(TAG_LIST.splitToList(f.get(5)));
        }
        ImmutableList<Access> sorted = ImmutableList.sortedCopyOf(Access.ORDER, batch);
        ImmutableList<String> failing = FluentIterable.from(sorted).filter(a -> a.status() >= 400)
            .transform(a -> CaseFormat.LOWER_HYPHEN.to(CaseFormat.UPPER_CAMEL, a.section())).toList();
        ImmutableSortedMap.Builder<String, Long> totals = ImmutableSortedMap.naturalOrder();
        for (Map.Entry<String, List<Integer>> e : com.google.common.collect.Multimaps.asMap(bytesByUser).entrySet()) {
            long sum = 0;
            for (int b : e.getValue()) {
                sum += b;
            }
            totals.put(e.getKey(), sum);
        }
        ImmutableMap<String, Integer> topTags = ImmutableMap.copyOf(
            Multisets.copyHighestCountFirst(tagCounts).entrySet().stream().limit(3)
                .collect(ImmutableMap.toImmutableMap(Multiset.Entry::getElement, Multiset.Entry::getCount)));
        String report = REPORT.join(totals.build()) + " | " + REPORT.join(topTags) + " | "
            + Joiner.on(',').skipNulls().join(failing) + " | " + Strings.padStart(Integer.toString(sorted.size()), 4, '0')
            + " | " + Ordering.natural().max(batch.stream().map(Access::method).iterator());
        Hasher h = MURMUR.newHasher().putString(report, StandardCharsets.UTF_8);
        for (Access a : sorted) {
            h.putInt(a.bytes()).putInt(a.user().id());
        }
        return h.hash().asLong();
    }


    /** A user as a slow lookup would return it: a pure function of the name, so cache misses change no result. */
    record UserInfo(int id, String region, String displayName) {

        static UserInfo load(String name) {
            int id = Integer.parseInt(CharMatcher.inRange('0', '9').retainFrom(name));
            String region = TAGS[2 + id % 2] + "-" + (id % 7);
            return new UserInfo(id, region, CaseFormat.LOWER_HYPHEN.to(CaseFormat.UPPER_CAMEL, name));
        }
    }

    /** One parsed log line. */
    record Access(UserInfo user, String method, String section, int status, int bytes) {

        static final java.util.Comparator<Access> ORDER = (a, b) -> ComparisonChain.start()
            .compare(b.status, a.status)
            .compare(a.section, b.section)
            .compare(a.bytes, b.bytes)
            .compare(a.user.id(), b.user.id())
            .result();
    }
}
