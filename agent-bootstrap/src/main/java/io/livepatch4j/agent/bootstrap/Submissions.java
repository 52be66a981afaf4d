package io.livepatch4j.agent.bootstrap;

/**
 * A task's submission to an executor, from inside a unit of work: the task carries the unit (holds it
 * open until it runs, and runs its generation), and what the executor does with the task decides
 * whether that hold is kept. Each thread keeps the submissions it is inside as a stack
 * ({@link ThreadState#submission}), one record per submission that captured a hold: nested methods of
 * one submission (execute calling execute) share the record, and any other submission made meanwhile
 * (a rejection policy's, a task run inline) gets its own, so that none clears another's.
 *
 * <p>A rejected task (ThreadPoolExecutor.reject inside its own submission) may still run as a task:
 * Tomcat's executor forces it into its queue; DiscardOldestPolicy, or a policy handing it to another
 * executor, submits it again; a policy of the application's may put it in the queue itself, or block
 * until a worker takes it. So the rejection only marks the record, and the hold is released when the
 * submission ends only where it is known that the task will not run as a task: the submission threw,
 * or the executor's own policy (the JDK's or Tomcat's Abort, CallerRuns, Discard and DiscardOldest
 * policies, Tomcat's RejectPolicy) handled it, and it was not forced into a queue or accepted by a
 * submission of the same object again (DiscardOldestPolicy's, a policy handing it to another executor,
 * which may catch a refusal there and try a third). A submission to a shut-down ForkJoinPool, or a
 * virtual thread's start, that throws RejectedExecutionException releases the hold too, as does a
 * ThreadPoolExecutor's execute that throws without rejecting before its queue took the task.
 * Any other rejected task keeps its hold until it runs, or until it is collected if it never does (a
 * policy of the application's that drops it): watching the queue instead cannot tell a dropped task
 * from one a worker has just taken and not yet started, whose hold that would release under it.
 *
 * <p>Thread safety: the records are the submitting thread's own; only it reads or writes them.
 */
public final class Submissions {

    private Submissions() {}

    /**
     * One submission that captured a hold: the task, the unit it carries (null for an empty hold, see
     * {@link #capture}), and what became of the task.
     */
    static final class Submission {
        final Object task;
        final Unit unit;
        /** The executor submitted to, if its runs say which executor they are (Carriers#take), else null. */
        final Object executor;
        final Submission outer;
        /** The submitting thread's state, whose stack this record is on. */
        final ThreadState state;
        /** What its hold says of this submission (Carriers.Ticket), shared with a submission of the task again. */
        final Carriers.Ticket ticket;
        /**
         * This submission is the task's again after its rejection in {@code outer}: it holds nothing
         * of its own, and tells {@code outer} whether the task was accepted there.
         */
        final boolean again;
        /** The executor rejected the task inside this submission. */
        boolean rejected;
        /** The executor's own rejection policy handled it: it runs the task inline, drops it, or throws. */
        boolean policyHandled;
        /** After its rejection the task was forced into the queue, or accepted by a submission of it again. */
        boolean requeued;
        /** The executor's queue took the task (ThreadPoolExecutor.execute's offer returned true). */
        boolean queued;
        /**
         * The executor the hold is registered for (Carriers#take): this submission's, or, once the
         * task is submitted again elsewhere after its rejection, that executor's, from before the
         * task can run there; back here if it is refused there.
         */
        Object heldAt;

        Submission(ThreadState state, Object task, Unit unit, Object executor, Submission outer, boolean again) {
            this.state = state;
            this.ticket = again ? outer.ticket : new Carriers.Ticket();
            this.task = task;
            this.unit = unit;
            this.executor = executor;
            this.outer = outer;
            this.again = again;
            this.heldAt = executor;
        }

        /**
         * Whether, as this submission ends ({@code thrown}: how), the task will not run as a task: it
         * was not queued again, and either the executor rejected it and threw or had its own policy
         * handle it; or an empty hold's task (unit null) was rejected, whatever the policy did (kept, a
         * stale empty hold would be taken by a later unit's copy, which would run outside its unit:
         * review25); or a ThreadPoolExecutor's execute threw without rejecting it and before its queue
         * took it (its thread factory failing on the worker that was to run it first); or the
         * submission threw RejectedExecutionException where that means the task was not taken
         * ({@code refusalIsFinal}: a shut-down ForkJoinPool, a virtual thread's start; a running pool
         * may throw it with the task queued, when its thread factory refuses a worker).
         */
        boolean willNotRun(Throwable thrown, boolean refusalIsFinal) {
            return !requeued && ((rejected && (thrown != null || policyHandled || unit == null))
                || (thrown != null && !rejected && executor != null && !queued)
                || (refusalIsFinal && thrown instanceof java.util.concurrent.RejectedExecutionException));
        }
    }

    /**
     * A submission method begins (Executor.execute, ForkJoinPool's submission paths, fork, a virtual
     * thread's start): {@code task} carries the calling thread's unit, once per submission, even where
     * one such method calls another for the same task. Returns the submission's record if this call
     * began one (it is then the outermost method of the submission), else null: the token to pass to
     * {@link TaskHooks#submitted} when the method ends. {@code executor} is the executor submitted to
     * if its runs say which executor they are (a ThreadPoolExecutor's), else null: each run there
     * takes the hold of a submission there (Carriers#take).
     */
    public static Submission submitting(Object task, Object executor) {
        if (task == null) {
            return null;
        }
        ThreadState t = ThreadState.current();
        if (t.dispatching) {
            // The runner, or what the executor wraps it in: its run is no unit. Not the application's
            // work a server's pool takes with it (a CarriedTask, ServerHooks#jettyJob): its run is one.
            if (t.dispatchingRunner && !(task instanceof CarriedTask)) {
                QueueRunner.mark(task);
            }
            return null; // a continuation or a queue's runner (ThreadState#dispatching): no hold
        }
        Submission s = t.submission;
        if (s != null && s.task == task) {
            if (!s.rejected) {
                // A nested method of the same submission. On another executor (an executor that
                // hands its tasks to a ThreadPoolExecutor of its own), that one queues and runs the
                // task: the hold is registered for it, before it can run the task.
                if (executor != null && executor != s.heldAt) {
                    Carriers.TASKS.moved(task, s.unit, s.heldAt, executor);
                    s.heldAt = executor;
                }
                return null;
            }
            if (s.requeued) {
                // Accepted somewhere already (a CallerRuns task's inline run fanning itself out to two
                // executors): each run needs a hold, so this submission takes one of its own.
                return capture(t, task, executor, s);
            }
            // Submitted again after its executor rejected it (DiscardOldestPolicy, CallerRunsPolicy's
            // inline run submitting itself, a policy handing it to another executor): a submission of
            // its own, whose outcome it reports to this one when it ends (the policy may catch a
            // refusal there and try elsewhere); this one, outermost, decides.
            Submission again = new Submission(t, task, s.unit, executor, s, true);
            // The hold goes with the task before that executor can run it (its worker may take it
            // before this submission returns); ended moves it back if it is refused there. Not rejected
            // there (yet): a run there may take it.
            s.ticket.rejected = false;
            Carriers.TASKS.moved(task, s.unit, s.heldAt, executor);
            t.submission = again;
            return again;
        }
        return capture(t, task, executor, s);
    }

    /**
     * A submission of {@code task} inside the thread's unit, if it is in one: a record of its own and a
     * hold. From no unit, a task that has holds (a copy queued elsewhere from a unit) gets an empty
     * hold and a record (its unit null), so that its run, or its executor giving it up, takes that
     * and not the other copy's (Carriers#mark); any other task, none.
     */
    private static Submission capture(ThreadState t, Object task, Object executor, Submission outer) {
        Unit u = t.unit;
        if (u == null) {
            if (Carriers.TASKS.isEmpty()) {
                return null; // nothing held anywhere: the usual case, no allocation
            }
            Submission record = new Submission(t, task, null, executor, outer, false);
            if (!Carriers.TASKS.mark(task, executor, record.ticket)) {
                return null;
            }
            t.submission = record;
            return record;
        }
        // The record first: if the hold fails after it, nothing is held (Units.carry undoes its half).
        Submission record = new Submission(t, task, u, executor, outer, false);
        Units.carry(task, u, executor, record.ticket);
        t.submission = record;
        return record;
    }

    /**
     * The submission {@code s} ended ({@code thrown}: null if it returned), its record already taken
     * off its thread's stack ({@link TaskHooks#submitted}): a task its executor rejected meanwhile that
     * will not run as a task releases the hold this submission added (not another submission's of the
     * same object, still queued). A submission of the task again only tells the one it was made in
     * whether the task was accepted, and where its hold now is; one refused moves the hold back to
     * the executor of the submission it was made in.
     */
    static void ended(Submission s, Throwable thrown, boolean refusalIsFinal) {
        boolean willNotRun = s.willNotRun(thrown, refusalIsFinal);
        if (s.again) {
            if (willNotRun) {
                Carriers.TASKS.moved(s.task, s.unit, s.heldAt, s.outer.heldAt);
                s.ticket.rejected = true; // back where it was rejected
            } else {
                s.ticket.rejected = false;
                s.outer.requeued = true;
                s.outer.heldAt = s.heldAt;
            }
            return;
        }
        Unit released = willNotRun ? Carriers.TASKS.remove(s.task, s.unit, s.heldAt) : null;
        if (released != null) {
            released.releaseDetached(); // this submission's unit, or the one whose hold a run left (Carriers#remove)
        }
    }

    /** The record of {@code task}'s submission if the thread is inside it, else null. */
    private static Submission of(Object task) {
        Submission s = ThreadState.current().submission;
        return s != null && s.task == task ? s : null;
    }

    /**
     * A ThreadPoolExecutor (the JDK's, or a server's copy) rejected {@code task}. Inside its own
     * submission, which decides when it ends (see the class comment); a task that captured nothing
     * holds nothing to release.
     */
    public static void rejected(Object task) {
        Submission s = task == null ? null : of(task);
        if (s != null) {
            s.rejected = true;
            s.ticket.rejected = true; // a run on this executor takes another copy's hold first
        }
    }

    /** One of the executor's own rejection policies handles {@code task}: it will not queue it, only submit it again. */
    public static void policyHandles(Object task) {
        Submission s = task == null ? null : of(task);
        if (s != null) {
            s.policyHandled = true;
        }
    }

    /** A ThreadPoolExecutor's execute offered {@code task} to its queue, which took it. */
    public static void offered(Object task) {
        Submission s = task == null ? null : of(task);
        if (s != null) {
            s.queued = true;
        }
    }

    /** Tomcat's executor forced {@code task} into its queue after rejecting it ({@code queued}: it took it). */
    public static void forced(Object task, boolean queued) {
        Submission s = queued && task != null ? of(task) : null;
        if (s != null) {
            s.requeued = true;
            s.ticket.rejected = false;
        }
    }

    /**
     * {@code task} left {@code executor}'s queue without running (ThreadPoolExecutor.remove): it
     * releases the unit its oldest submission there carried, as a drained task does. Inside the
     * task's own submission (ThreadPoolExecutor.execute removes the task it just queued when the
     * executor shut down meanwhile, and rejects it) that submission decides instead.
     */
    public static void removed(Object task, Object executor) {
        if (task != null && of(task) == null) {
            Units.rejected(task, executor);
        }
    }
}
