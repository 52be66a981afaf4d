package io.livepatch4j.agent.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * Keys for maps that hold their key objects weakly and compare them by identity (the JDK has no
 * concurrent weak identity map): a {@link Key} is stored, a {@link Probe} looks one up. A key whose
 * object was collected is enqueued, so the map's owner can drop the entry.
 */
final class WeakIdentity {

    private WeakIdentity() {}

    /** The stored key: the object, held weakly, compared by identity. */
    static final class Key extends WeakReference<Object> {
        private final int hash;

        Key(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            Object mine = get();
            if (o instanceof Key k) {
                return mine != null && mine == k.get();
            }
            return o instanceof Probe p && mine == p.referent;
        }
    }

    /** A lookup key that holds the object strongly for the duration of one lookup. */
    static final class Probe {
        private final Object referent;
        private final int hash;

        Probe(Object referent) {
            this.referent = referent;
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.get() == referent;
        }
    }
}
