/* The program spawn-bench starts: no libc, no dynamic loader, just exit(0), so the time
 * measured is process creation and exec, not the child's own start-up. */
void _start(void) __attribute__((noreturn));
void _start(void)
{
    __asm__ volatile("mov $60, %%eax\n\txor %%edi, %%edi\n\tsyscall" ::: "rax", "rdi", "memory");
    __builtin_unreachable();
}
