;; The ReLU steps of a training step in float64 on arrays resident in the kernel heap (heap.ts), two
;; values per vector step and the rest one at a time: the same comparisons and additions as the
;; TypeScript loops of src/nn/activations/relu.ts, so the results are the same to the last bit
;; (including -0 and NaN: a NaN z stays NaN, never a plausible 0). Addresses are byte offsets.
;; Assembled by build.ts; no multiply-add, so no relaxed variant. relu-f32.wat is the float32 twin.
(module
  (import "env" "memory" (memory 1))

  ;; addBiasThenF(z, rows, cols, bias, a): for each row i and column j,
  ;; z[i][j] = z[i][j] + bias[i], then a[i][j] = z[i][j] < 0 ? 0 : z[i][j] (NaN and -0 pass through).
  (func (export "addBiasThenF")
    (param $z i32) (param $rows i32) (param $cols i32) (param $bias i32) (param $a i32)
    (local $i i32) (local $o i32) (local $vend i32) (local $end i32) (local $rowBytes i32)
    (local $b f64) (local $B v128) (local $v v128) (local $x f64)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 3)))
    (block $rdone (loop $row
      (br_if $rdone (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $b (f64.load (i32.add (local.get $bias) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $B (f64x2.splat (local.get $b)))
      (local.set $o (i32.mul (local.get $i) (local.get $rowBytes)))
      (local.set $end (i32.add (local.get $o) (local.get $rowBytes)))
      (local.set $vend (i32.add (local.get $o) (i32.shl (i32.and (local.get $cols) (i32.const -2)) (i32.const 3))))
      (block $vdone (loop $vec
        (br_if $vdone (i32.ge_u (local.get $o) (local.get $vend)))
        (local.set $v (f64x2.add (v128.load (i32.add (local.get $z) (local.get $o))) (local.get $B)))
        (v128.store (i32.add (local.get $z) (local.get $o)) (local.get $v))
        ;; where v < 0: 0, else v (a NaN compares false, so it passes through)
        (v128.store (i32.add (local.get $a) (local.get $o))
          (v128.andnot (local.get $v) (f64x2.lt (local.get $v) (v128.const i64x2 0 0))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $vec)))
      (block $done (loop $one
        (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $x (f64.add (f64.load (i32.add (local.get $z) (local.get $o))) (local.get $b)))
        (f64.store (i32.add (local.get $z) (local.get $o)) (local.get $x))
        (f64.store (i32.add (local.get $a) (local.get $o))
          (select (f64.const 0) (local.get $x) (f64.lt (local.get $x) (f64.const 0))))
        (local.set $o (i32.add (local.get $o) (i32.const 8)))
        (br $one)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $row)))
  )

  ;; timesDerivative(z, g, n): g = f'(z) (.) g, f'(z) = 1 where z > 0, else 0; where z is NaN, g = z.
  (func (export "timesDerivative")
    (param $z i32) (param $g i32) (param $n i32)
    (local $o i32) (local $vend i32) (local $end i32) (local $v v128) (local $x f64)
    (local.set $vend (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $vdone (loop $vec
      (br_if $vdone (i32.ge_u (local.get $o) (local.get $vend)))
      (local.set $v (v128.load (i32.add (local.get $z) (local.get $o))))
      ;; where z > 0: g; else z where z is NaN (z != z), 0 elsewhere
      (v128.store (i32.add (local.get $g) (local.get $o))
        (v128.bitselect
          (v128.load (i32.add (local.get $g) (local.get $o)))
          (v128.and (local.get $v) (f64x2.ne (local.get $v) (local.get $v)))
          (f64x2.gt (local.get $v) (v128.const i64x2 0 0))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $vec)))
    (block $done (loop $one
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $x (f64.load (i32.add (local.get $z) (local.get $o))))
      (if (i32.eqz (f64.gt (local.get $x) (f64.const 0)))
        (then (f64.store (i32.add (local.get $g) (local.get $o))
          (select (f64.const 0) (local.get $x) (f64.eq (local.get $x) (local.get $x))))))
      (local.set $o (i32.add (local.get $o) (i32.const 8)))
      (br $one)))
  )
)
