package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.crac.CheckpointException;
import io.livepatch4j.agent.bootstrap.crac.Core;
import io.livepatch4j.agent.bootstrap.crac.RestoreException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's part in {@code lp4j checkpoint} (docs/checkpoint.md), in the manner of CRaC: before
 * CRIU freezes the process, the application's {@code org.crac} Resources are notified (last
 * registered first), the heap is collected and its free part given back ({@link HeapShrink}), and
 * the control socket is parked; after the restore, or when lp4j says the checkpoint did not stop the
 * process (it failed, or {@code --leave-running}), the socket is opened again and the Resources are
 * notified (first registered first).
 *
 * <p>How the agent learns of the restore: CRIU gives the process its pid, memory and threads back,
 * but the kernel starts it anew, so its start time in /proc/self/stat changes. A watcher thread
 * looks every {@value #WATCH_MILLIS} ms while the checkpoint is pending, for that, for the file
 * {@value #RESUME_FILE} lp4j writes into the agent's directory to say "go on", or for the deadline
 * lp4j gave, after which the agent goes on by itself (a lp4j that died must not leave the JVM
 * unreachable).
 *
 * <p>A checkpoint the agent was not told of (CRIU run by hand, {@code lp4j checkpoint --plain})
 * leaves the socket dead after the restore: CRIU binds a restored listening socket to the name it
 * was first bound to, and the agent binds under another name and renames. The control channel's
 * watchdog therefore compares the start time once a second ({@link #noticeUnpreparedRestore}) and
 * opens the socket again; no Resource is notified then, as none was before the checkpoint.
 *
 * <p>The socket is parked and the watcher started before the answer goes out (on the connection
 * accepted already, which closing the listening socket leaves open), so that once lp4j has its
 * answer and the connection is closed, nothing the agent does for the checkpoint is half done when
 * CRIU freezes the process.
 *
 * <p>States: idle, then parked (Resources notified, heap shrunk, socket closed, watcher running),
 * then idle again. Concurrency: {@link #LOCK} guards the state. Prepare holds it while it notifies
 * and collects (a Resource may take its time), so a second prepare that cannot take it at once is
 * refused, never queued; the control watchdog only tries it ({@link #noticeUnpreparedRestore}), so
 * a slow Resource never stalls the watchdog; the watcher takes it to leave the parked state. Resources
 * are notified after the restore outside it, on the watcher thread, once the socket is open again.
 * Lock order: {@link #LOCK}, then ControlChannel's monitor.
 */
final class Checkpoints {

    static final String RESUME_FILE = io.livepatch4j.control.ControlSockets.RESUME;
    static final long WATCH_MILLIS = 10;
    private static final System.Logger LOG = AgentLog.logger("io.livepatch4j");

    private static final java.util.concurrent.locks.ReentrantLock LOCK = new java.util.concurrent.locks.ReentrantLock();
    private static boolean parked;
    /**
     * This process's start time as the agent last saw it: when the control socket opened
     * (Agent.openControl, goOn, noticeUnpreparedRestore) and at prepare; null before. A restore changes
     * the process's start time, so a difference is a restore.
     */
    private static String knownStart;
    private static long deadline;
    private static Path resumeFile;

    private Checkpoints() {}

    /** Refused: a Resource threw before the checkpoint; every Resource has had afterRestore. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** What "checkpoint-prepare" answers. */
    record Prepared(int resources, double resourcesMillis, HeapShrink.Result shrink, long resumeAfterMillis,
                    List<String> warnings) {}

    /**
     * Notifies the Resources, shrinks the heap ({@code shrink}), parks the control socket and starts
     * the watcher. {@code resumeAfterMillis}: when the agent goes on by itself.
     */
    static Prepared prepare(boolean shrink, long resumeAfterMillis) throws Refused, IOException {
        if (!LOCK.tryLock()) {
            throw new IllegalStateException("a checkpoint of this JVM is being prepared already (its org.crac Resources "
                + "are being notified or its heap collected); wait for it to end");
        }
        try {
            return prepareLocked(shrink, resumeAfterMillis);
        } finally {
            LOCK.unlock();
        }
    }

    private static Prepared prepareLocked(boolean shrink, long resumeAfterMillis) throws Refused, IOException {
        if (parked) {
            throw new IllegalStateException("a checkpoint of this JVM is being taken already (its control socket is "
                + "parked until it is restored or lp4j says it goes on); wait for it to end");
        }
        List<String> warnings = new ArrayList<>(CracFacade.warnings());
        int resources = Core.global().registered().size();
        long t0 = System.nanoTime();
        try {
            Core.global().beforeCheckpoint(null);
        } catch (CheckpointException e) {
            notifyAfter("after a refused checkpoint");
            throw new Refused("the checkpoint was refused: " + e.getSuppressed().length + " of " + resources
                + " org.crac Resource(s) threw in beforeCheckpoint (" + describe(e) + "); every Resource has had "
                + "afterRestore and the JVM goes on as before");
        } catch (RuntimeException | Error e) {
            notifyAfter("after a failed notification"); // the context itself failed: the same promise
            throw new Refused("the checkpoint was refused: notifying the org.crac Resources failed (" + e + "); every "
                + "Resource notified has had afterRestore and the JVM goes on as before");
        }
        double resourcesMillis = (System.nanoTime() - t0) / 1e6;
        HeapShrink.Result shrunk;
        Thread watcher;
        try {
            shrunk = shrink ? HeapShrink.run() : null;
            knownStart = startTime();
            deadline = System.nanoTime() + resumeAfterMillis * 1_000_000L;
            resumeFile = AgentDirectory.get().resolve(RESUME_FILE);
            Files.deleteIfExists(resumeFile);
            watcher = new Thread(Checkpoints::watch, "livepatch4j-checkpoint");
            watcher.setDaemon(true);
        } catch (IOException | RuntimeException | Error e) {
            // Nothing is parked yet: the JVM goes on as it was, its Resources told so.
            HeapShrink.restoreRatios();
            notifyAfter("after a failed preparation");
            throw e;
        }
        ControlChannel.park();
        parked = true;
        watcher.start();
        return new Prepared(resources, resourcesMillis, shrunk, resumeAfterMillis, warnings);
    }

    private static void watch() {
        String why;
        while (true) {
            try {
                Thread.sleep(WATCH_MILLIS);
            } catch (InterruptedException e) {
                why = "interrupted";
                break;
            }
            try {
                if (!knownStart.equals(startTime())) { // written before this thread started; only it writes it now
                    why = "restored";
                    break;
                }
            } catch (IOException e) {
                why = "could not read /proc/self/stat (" + e + ")";
                break;
            }
            if (Files.exists(resumeFile, LinkOption.NOFOLLOW_LINKS)) {
                why = "lp4j said the JVM goes on (the checkpoint failed or left it running)";
                break;
            }
            if (System.nanoTime() - deadline > 0) {
                why = "lp4j did not say how the checkpoint ended within the time it gave; going on";
                break;
            }
        }
        goOn(why);
    }

    /** The control socket was opened (Agent.openControl): the start time it belongs to. */
    static void opened() {
        LOCK.lock();
        try {
            knownStart = startTime();
        } catch (IOException e) {
            knownStart = null; // no /proc: restores are not noticed, as they are not possible
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * See the class comment: a restore that no prepare preceded; the control socket opened again. The
     * start time is recorded only once the socket is open, so a failed reopening is tried again on
     * the next call. Skipped while a prepare holds the lock (it is not a restore's moment).
     */
    static void noticeUnpreparedRestore() {
        if (!LOCK.tryLock()) {
            return;
        }
        try {
            String now = startTime();
            if (parked || knownStart == null || knownStart.equals(now)) {
                return;
            }
            ControlChannel.reopen();
            knownStart = now;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "livepatch4j: lp4j cannot reach this JVM after its restore (tried again "
                + "in a second): " + e.getMessage());
            return;
        } finally {
            LOCK.unlock();
        }
        LOG.log(System.Logger.Level.INFO, "livepatch4j: restored from a checkpoint the agent was not told of; control "
            + "socket open again (org.crac Resources are notified only around 'lp4j checkpoint')");
    }

    private static void goOn(String why) {
        LOCK.lock();
        try {
            try {
                Files.deleteIfExists(resumeFile);
            } catch (IOException e) {
                // the folder is replaced below: what is left in it goes with it
            }
            HeapShrink.restoreRatios();
            try {
                ControlChannel.reopen();
                knownStart = startTime();
            } catch (IOException | RuntimeException e) {
                // knownStart stays the old start time: the watchdog's next noticeUnpreparedRestore tries again
                LOG.log(System.Logger.Level.WARNING, "livepatch4j: lp4j cannot reach this JVM after the checkpoint "
                    + "(tried again in a second): " + e.getMessage());
            }
            parked = false;
        } finally {
            LOCK.unlock();
        }
        LOG.log(why.startsWith("restored") || why.startsWith("lp4j said") ? System.Logger.Level.INFO
            : System.Logger.Level.WARNING,
            "livepatch4j: checkpoint over ({0}); control socket open again", why);
        notifyAfter("restored".equals(why) ? "after the restore" : "after the checkpoint");
    }

    private static void notifyAfter(String when) {
        try {
            Core.global().afterRestore(null);
        } catch (RestoreException e) {
            LOG.log(System.Logger.Level.WARNING, "livepatch4j: " + e.getSuppressed().length
                + " org.crac Resource(s) threw in afterRestore " + when + ": " + describe(e));
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "livepatch4j: notifying the org.crac Resources " + when + " failed", e);
        }
    }

    private static String describe(Exception e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t : e.getSuppressed()) {
            b.append(b.length() == 0 ? "" : "; ").append(t);
        }
        return b.toString();
    }

    /** This process's start time (field 22 of /proc/self/stat): new after a restore. */
    static String startTime() throws IOException {
        String stat = new String(Files.readAllBytes(Path.of("/proc/self/stat")), StandardCharsets.US_ASCII);
        // The command name (field 2) is in parentheses and may hold spaces: count from its end.
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return rest[22 - 3];
    }
}
