package fid.annoonly;
import java.lang.annotation.*;
@Retention(RetentionPolicy.RUNTIME)
public @interface Secret { }
