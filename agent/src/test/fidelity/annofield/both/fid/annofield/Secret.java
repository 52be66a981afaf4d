package fid.annofield;
import java.lang.annotation.*;
@Retention(RetentionPolicy.RUNTIME)
public @interface Secret { String value() default "hidden"; }
