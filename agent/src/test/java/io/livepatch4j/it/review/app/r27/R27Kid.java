package io.livepatch4j.it.review.app.r27;

import io.livepatch4j.it.review27.base.R27Iface;
import io.livepatch4j.it.review27.base.R27Mid;

/** Review 27: a patched subclass in another package than its protected members. */
public class R27Kid extends R27Mid implements R27Iface {

    public String show() {
        return "v1";
    }
}
