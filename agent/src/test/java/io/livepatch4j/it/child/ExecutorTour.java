package io.livepatch4j.it.child;

import java.util.concurrent.*;
/** Runs every JDK executor the agent weaves hooks into, once each, and prints what each gave (WovenJdkClassesIT). */
public final class ExecutorTour {
    public static void main(String[] a) throws Exception {
        ThreadPoolExecutor p = new ThreadPoolExecutor(2, 2, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        System.out.println(p.submit(() -> "tpe").get());
        try { p.submit(() -> { throw new IllegalStateException("boom"); }).get(); } catch (ExecutionException e) { System.out.println("thrown " + e.getCause().getMessage()); }
        ScheduledExecutorService s = Executors.newScheduledThreadPool(1);
        System.out.println(s.schedule(() -> "sched", 10, TimeUnit.MILLISECONDS).get());
        System.out.println(CompletableFuture.supplyAsync(() -> "cf").thenApply(x -> x + "+stage").thenCombine(CompletableFuture.supplyAsync(() -> "b"), (x, y) -> x + y).get());
        try { CompletableFuture.supplyAsync(() -> { throw new IllegalStateException("cfboom"); }).get(); } catch (ExecutionException e) { System.out.println("cf thrown " + e.getCause().getMessage()); }
        System.out.println(ForkJoinPool.commonPool().submit(() -> java.util.stream.IntStream.range(0, 1000).parallel().sum()).get());
        FutureTask<String> ft = new FutureTask<>(() -> "x"); System.out.println("cancel " + ft.cancel(true));
        java.util.Timer t = new java.util.Timer(true); CountDownLatch l = new CountDownLatch(1); t.schedule(new java.util.TimerTask() { public void run() { l.countDown(); } }, 5); l.await(); System.out.println("timer");
        if (Runtime.version().feature() >= 21) { Thread v = (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, (Runnable) () -> System.out.println("virtual")); v.join(); }
        System.out.println("drained " + p.shutdownNow().size()); s.shutdown();
        System.out.println("DONE");
    }
}
