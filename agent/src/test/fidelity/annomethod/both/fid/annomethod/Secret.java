package fid.annomethod;
import java.lang.annotation.*;
@Retention(RetentionPolicy.RUNTIME)
public @interface Secret { String value() default "hidden"; }
