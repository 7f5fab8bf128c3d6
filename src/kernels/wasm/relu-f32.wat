;; The float32 twin of relu-f64.wat (same functions, same arguments), four values per vector step.
;; The TypeScript loops read each Float32Array entry into a double and round the sum back on store;
;; the sum of two float32 values rounded once to float32 equals float32 addition (a double holds more
;; than twice the bits), so these give the same bits too. Addresses are byte offsets.
(module
  (import "env" "memory" (memory 1))

  ;; addBiasThenF(z, rows, cols, bias, a): for each row i and column j,
  ;; z[i][j] = z[i][j] + bias[i], then a[i][j] = z[i][j] < 0 ? 0 : z[i][j] (NaN and -0 pass through).
  (func (export "addBiasThenF")
    (param $z i32) (param $rows i32) (param $cols i32) (param $bias i32) (param $a i32)
    (local $i i32) (local $o i32) (local $vend i32) (local $end i32) (local $rowBytes i32)
    (local $b f32) (local $B v128) (local $v v128) (local $x f32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (block $rdone (loop $row
      (br_if $rdone (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $b (f32.load (i32.add (local.get $bias) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $B (f32x4.splat (local.get $b)))
      (local.set $o (i32.mul (local.get $i) (local.get $rowBytes)))
      (local.set $end (i32.add (local.get $o) (local.get $rowBytes)))
      (local.set $vend (i32.add (local.get $o) (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2))))
      (block $vdone (loop $vec
        (br_if $vdone (i32.ge_u (local.get $o) (local.get $vend)))
        (local.set $v (f32x4.add (v128.load (i32.add (local.get $z) (local.get $o))) (local.get $B)))
        (v128.store (i32.add (local.get $z) (local.get $o)) (local.get $v))
        ;; where v < 0: 0, else v (a NaN compares false, so it passes through)
        (v128.store (i32.add (local.get $a) (local.get $o))
          (v128.andnot (local.get $v) (f32x4.lt (local.get $v) (v128.const i32x4 0 0 0 0))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $vec)))
      (block $done (loop $one
        (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $x (f32.add (f32.load (i32.add (local.get $z) (local.get $o))) (local.get $b)))
        (f32.store (i32.add (local.get $z) (local.get $o)) (local.get $x))
        (f32.store (i32.add (local.get $a) (local.get $o))
          (select (f32.const 0) (local.get $x) (f32.lt (local.get $x) (f32.const 0))))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $one)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $row)))
  )

  ;; timesDerivative(z, g, n): g = f'(z) (.) g, f'(z) = 1 where z > 0, else 0; where z is NaN, g = z.
  (func (export "timesDerivative")
    (param $z i32) (param $g i32) (param $n i32)
    (local $o i32) (local $vend i32) (local $end i32) (local $v v128) (local $x f32)
    (local.set $vend (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $vdone (loop $vec
      (br_if $vdone (i32.ge_u (local.get $o) (local.get $vend)))
      (local.set $v (v128.load (i32.add (local.get $z) (local.get $o))))
      ;; where z > 0: g; else z where z is NaN (z != z), 0 elsewhere
      (v128.store (i32.add (local.get $g) (local.get $o))
        (v128.bitselect
          (v128.load (i32.add (local.get $g) (local.get $o)))
          (v128.and (local.get $v) (f32x4.ne (local.get $v) (local.get $v)))
          (f32x4.gt (local.get $v) (v128.const i32x4 0 0 0 0))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $vec)))
    (block $done (loop $one
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $x (f32.load (i32.add (local.get $z) (local.get $o))))
      (if (i32.eqz (f32.gt (local.get $x) (f32.const 0)))
        (then (f32.store (i32.add (local.get $g) (local.get $o))
          (select (f32.const 0) (local.get $x) (f32.eq (local.get $x) (local.get $x))))))
      (local.set $o (i32.add (local.get $o) (i32.const 4)))
      (br $one)))
  )
)
