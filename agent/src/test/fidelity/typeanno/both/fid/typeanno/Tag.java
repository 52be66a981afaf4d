package fid.typeanno;
import java.lang.annotation.*;
@Retention(RetentionPolicy.RUNTIME) @Target(ElementType.TYPE_USE)
public @interface Tag { String value(); }
