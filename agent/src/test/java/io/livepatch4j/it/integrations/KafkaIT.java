package io.livepatch4j.it.integrations;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.Consistency;
import io.livepatch4j.it.support.TestPatches;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Kafka poll loop ({@code while (running) { poll; handle }}) over a MockConsumer: each record's
 * handling calls Greeter.first and Greeter.second; the records of one poll are one unit, which ends
 * at the next poll, so the loop moves to new code between batches although it never returns.
 */
@ExtendWith(BackToLoadedCode.class)
class KafkaIT {

    private static final TopicPartition PARTITION = new TopicPartition("pairs", 0);

    private final Greeter greeter = new Greeter("kafka");
    private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
    private final AtomicLong offset = new AtomicLong();
    /** Answers by record key, completed by the loop. */
    private final Map<String, CompletableFuture<String>> answers = new ConcurrentHashMap<>();
    /** Each batch's versions, in order: a batch is one unit. */
    private final Consistency batches = new Consistency();
    private final AtomicBoolean running = new AtomicBoolean(true);

    KafkaIT() {
        consumer.assign(List.of(PARTITION));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
    }

    /** The poll loop; it leaves when the test stops it, and closes the consumer. */
    private void loop() {
        try {
            while (running.get()) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(5));
                List<String> versions = new ArrayList<>();
                for (ConsumerRecord<String, String> r : records) {
                    String a = greeter.first();
                    String b = greeter.second();
                    versions.add(a);
                    versions.add(b);
                    String answer = r.value().equals("kind") ? PatchFlips.myUnit() : a + "+" + b;
                    answers.remove(r.key()).complete(answer);
                }
                if (!versions.isEmpty()) {
                    batches.unit(versions.toArray(String[]::new));
                }
                if (records.isEmpty()) {
                    Thread.sleep(1);
                }
            }
        } catch (Throwable t) {
            batches.error(t);
        } finally {
            consumer.close();
        }
    }

    /** Sends one record and waits for the loop's answer. */
    private String send(String value) throws Exception {
        String key = "k" + offset.get() + "-" + Thread.currentThread().getId() + "-" + System.nanoTime();
        CompletableFuture<String> answer = new CompletableFuture<>();
        answers.put(key, answer);
        synchronized (consumer) {
            consumer.addRecord(new ConsumerRecord<>(PARTITION.topic(), 0, offset.getAndIncrement(), key, value));
        }
        return answer.get(10, TimeUnit.SECONDS);
    }

    @Test
    @Timeout(60)
    void recordsOfAPollAreHandledInAKafkaPollBatchUnit() throws Exception {
        Thread loop = new Thread(this::loop, "poll-loop");
        loop.start();
        try {
            assertEquals("Kafka poll batch", send("kind"), "a plain thread's poll loop handles each batch in a unit");
        } finally {
            running.set(false);
            loop.join(10_000);
        }
        assertEquals(List.of(), batches.errors());
    }

    @Test
    @Timeout(60)
    void pollLoopRunningAsAnExecutorTaskStillLetsTransitionsComplete() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "poll-task"));
        try {
            Future<?> task = pool.submit(this::loop);
            long t0 = System.nanoTime();
            assertEquals("v1+v1", send("pair"));
            System.out.printf("KafkaIT: first record answered in %.1f ms%n", (System.nanoTime() - t0) / 1e6);
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            t0 = System.nanoTime();
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)), "the task never returns, but each poll "
                + "after its first is a quiescence point: " + LivePatch.status().transition());
            System.out.printf("KafkaIT: transition of a looping task in %.1f ms%n", (System.nanoTime() - t0) / 1e6);
            assertEquals("v2+v2", send("pair"), "the loop runs the new code from its next batch on");
            running.set(false);
            task.get(10, TimeUnit.SECONDS);
        } finally {
            running.set(false);
            pool.shutdownNow();
        }
        assertEquals(List.of(), batches.errors());
        assertEquals(List.of(), batches.mixed());
    }

    @Test
    @Timeout(90)
    void batchesUnderLoadWithPatchesAppliedAndRolledBackNeverSeeTwoGenerations() throws Exception {
        Thread loop = new Thread(this::loop, "poll-loop");
        loop.start();
        try {
            Consistency records = PatchFlips.run(3, 8, () -> send("pair"));
            System.out.println("KafkaIT: " + records.units() + " records in " + batches.units()
                + " batches, 0 mixed, 0 failed, 16 transitions");
        } finally {
            running.set(false);
            loop.join(10_000);
        }
        assertEquals(List.of(), batches.errors());
        assertEquals(List.of(), batches.mixed(), "no batch saw two generations");
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)), "the loop left and closed its consumer: "
            + "its last batch holds nothing");
    }
}
