package probes;

import ch.qos.logback.core.net.HardenedObjectInputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;

/** P17, CVE-2023-6378: the receiver deserializes object graphs of any depth. Input: the nesting depth. */
public class LogbackProbe implements java.util.function.Function<String, String> {
    @Override
    public String apply(String in) {
        try {
            ArrayList<Object> list = new ArrayList<>();
            for (int i = Integer.parseInt(in.trim()); i > 0; i--) {
                ArrayList<Object> outer = new ArrayList<>();
                outer.add(list);
                list = outer;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(list);
            }
            try (HardenedObjectInputStream read = new HardenedObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()),
                new String[] {"java.util.ArrayList"})) {
                read.readObject();
            }
            return "read";
        } catch (Exception e) {
            return "ERROR " + e;
        }
    }
}
